from django.db import models


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class ResidenceType(models.TextChoices):
    REGISTERED = "registered", "户籍人口"
    PERMANENT = "permanent", "常住人口"
    FLOATING = "floating", "流动人口"


class ResidentTag(models.TextChoices):
    ELDERLY = "elderly", "老年人"
    DISABLED = "disabled", "残疾人"
    LOW_INCOME = "low_income", "低保户"
    LEFT_BEHIND_CHILD = "left_behind_child", "留守儿童"
    EMPTY_NEST = "empty_nest", "空巢老人"
    VETERAN = "veteran", "退役军人"


class GridRole(models.TextChoices):
    CHIEF = "chief", "网格长"
    WORKER = "worker", "网格员"


class CommunityPost(models.TextChoices):
    """三岗: the three posts of a professional community worker."""

    PRINCIPAL = "principal", "正职（书记、主任）"
    DEPUTY = "deputy", "副职"
    STAFF = "staff", "其他社区工作者"


class LegalKind(models.TextChoices):
    """三官一律 进社区."""

    JUDGE = "judge", "法官"
    POLICE = "police", "警官"
    PROSECUTOR = "prosecutor", "检察官"
    LAWYER = "lawyer", "律师"
